{% include "server/logs.py" %}
