{{ "framework/fastapi/chart/_app.tpl" | verbatim -}}
