"""Websocket routes; the notifications app adds its consumers here."""

websocket_urlpatterns: list = []
