"""What the API (``api/``) and the web pages (``web/``) share: the app's settings and database."""
