{{ "framework/django/chart/_app.tpl" | verbatim -}}
