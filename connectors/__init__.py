"""Rasa input channels of the project (registered in credentials.yml): the website widget over
socket.io (`webchat.py`) and WeChat Official Account / WeCom (`wechat.py`)."""
