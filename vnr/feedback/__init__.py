"""Feedback in and out of spreadsheets: the feedback workbook (export), and workbooks and form
exports read back into feedback/*.yaml (importer, tables)."""
