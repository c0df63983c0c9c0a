"""`vnr collect`: reviewers' notes from returned PDF (pdf) and DOCX (docx) files into reviews/ (reviews)."""
