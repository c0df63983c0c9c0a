"""Writers: the Review to HTML (html), PDF (pdf, weasy, layout) and DOCX (docx, docx_rules, docx_replies)."""
