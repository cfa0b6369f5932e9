{% include "make/compose.mk" %}
