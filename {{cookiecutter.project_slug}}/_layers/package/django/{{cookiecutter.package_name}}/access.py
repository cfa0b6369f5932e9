{% include "server/access-wsgi.py" %}
