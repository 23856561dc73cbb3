"""The product's programming interfaces, above every domain app: today the Python API
(``api.crm_api``, checked by ``api.calls``); the HTTP API will join it here."""
