{{ "deploy/kubernetes/chart/_helpers.tpl" | verbatim -}}
