"""Writers: Word (python-docx), CSV/XLSX, REFI-QDA. The only package (with the .docx reader in ingest) that imports docx."""
