{{ "framework/flask/chart/_app.tpl" | verbatim -}}
