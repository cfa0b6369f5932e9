{{ "framework/datascience/chart/_app.tpl" | verbatim -}}
