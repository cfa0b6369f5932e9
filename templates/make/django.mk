# compose needs a secret key: a fresh one for each make run keeps it out of every file.
ifndef DJANGO_SECRET_KEY
export DJANGO_SECRET_KEY := $(shell python3 -c "import secrets; print(secrets.token_urlsafe(50))")
endif
{% include "make/compose.mk" %}
