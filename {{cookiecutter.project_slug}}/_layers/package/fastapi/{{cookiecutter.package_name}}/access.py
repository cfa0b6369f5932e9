{% include "server/access-asgi.py" %}
