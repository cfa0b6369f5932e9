{% include "server/draining.py" %}
