"""The MIME types of the files reports are sent as.

Apart from the document builders so that the routes can name them without importing python-docx
(about 9 MB per web worker) until a report is actually asked for.
"""

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
