#!/bin/sh
# Bring the template's changes in on the template-update branch, for review (`make template-update`;
# CI runs it weekly and opens a pull/merge request with what it prints).
# Prints nothing and exits 0 when the project is up to date. Otherwise commits `cruft update`'s
# result on the branch and prints a Markdown report: the template's commits it brings in and the
# files that did not take them cleanly (conflicts, *.rej files). Exits 1 when there are any: they are
# committed as they are, for a person to resolve on the branch.
set -eu
branch=template-update

if [ -n "$(git status --porcelain)" ]; then
  echo "template-update: commit or stash your changes first" >&2
  exit 1
fi
if cruft check >&2; then
  exit 0
fi

cruft_json() {
  python3 -c 'import json, sys; print(json.load(open(".cruft.json"))[sys.argv[1]] or "")' "$1"
}
before=$(cruft_json commit)
git switch --quiet --force-create "$branch"
cruft update --skip-apply-ask >&2
after=$(cruft_json commit)

conflicts=$(git status --porcelain | grep -E '^(UU|AA|DU|UD|AU|UA|DD) ' | cut -c4- || true)
rejects=$(git ls-files --others --exclude-standard -- '*.rej')
git add --all
git commit --quiet --message "Update from the template (${after})"

# The template's own history between the two commits, from a throwaway clone.
clone=$(mktemp -d)
trap 'rm -rf "$clone"' EXIT
git clone --quiet --bare "$(cruft_json template)" "$clone/template.git"
echo "Brings in the template's changes from \`${before}\` to \`${after}\`:"
echo
git -C "$clone/template.git" log --format='- %h %s' "${before}..${after}"
if [ -n "${conflicts}${rejects}" ]; then
  echo
  echo "These files did not take the template's changes cleanly: resolve the conflict markers, or apply"
  echo "each \`.rej\` file's hunks by hand and delete it, then commit on this branch."
  echo
  printf '%s\n' "$conflicts" "$rejects" | while read -r name; do
    [ -z "$name" ] || echo "- \`$name\`"
  done
  exit 1
fi
