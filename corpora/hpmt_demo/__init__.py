"""The bundled HPMT sample study (data); make_forms.py defines the FE form file's layout."""
