{% import "manager/" ~ cookiecutter.package_manager ~ "/manager.jinja" as manager with context %}
{% import "deps/tools.jinja" as tools %}
#!/bin/sh
# Bring the template's changes in on the template-update branch, for review (`make template-update`;
# CI runs it weekly and opens a pull/merge request with what it prints). Run it from the branch the
# update is for. While an earlier update is open on the branch (here, or on origin as last fetched),
# it builds on that, so what a person committed there (a resolved conflict) stays; once the branch is
# merged, it starts again from here.
# Prints nothing and exits 0 when the project is up to date and holds no conflict. Otherwise prints a
# Markdown report: the template's commits the branch brings in and the files that still hold
# conflicts (markers, *.rej files). Exits 1 when there are any: they are committed as they are, past
# pre-commit's hooks, which refuse them, for a person to resolve on the branch. Exits 1 too when the
# hooks refuse a clean update: that is committed past them as well, and the report says so. cruft's
# and the hooks' own output goes to standard error, and only when they fail.
set -eu
branch=template-update

# CRUFT may be a command with its arguments. make puts the project's environment first on PATH.
CRUFT=${CRUFT:-cruft}
if ! command -v "${CRUFT%% *}" > /dev/null; then
  cat >&2 << 'EOF'
template-update: needs cruft, in the project's environment or on PATH. Install cruft {{ tools.cruft_version }} (the
version the template is tested with), or have {{ manager.tool_runner }} run it:
  make template-update CRUFT="{{ manager.run_tool("cruft==" ~ tools.cruft_version, "cruft") }}"
EOF
  exit 1
fi

if [ -n "$(git status --porcelain)" ]; then
  echo "template-update: commit or stash your changes first" >&2
  exit 1
fi

cruft_json() {
  python3 -c 'import json, sys; print(json.load(open(".cruft.json"))[sys.argv[1]] or "")' "$1"
}
# Whether merging $1 here would change nothing: it was merged, whether as a merge, a squash or a rebase.
merged() {
  [ "$(git merge-tree --write-tree HEAD "$1" | head -n 1)" = "$(git rev-parse 'HEAD^{tree}')" ]
}
# The files that still hold conflicts. cruft exits 0 and `cruft check` passes with conflicts left (its
# record names the new commit even then), so they are looked for in the files: *.rej files, and lines
# starting with a conflict marker as git writes them, seven characters long, or longer in a file whose
# conflict-marker-size attribute says so (git's way to keep seven-character ones as content).
conflicted() {
  git ls-files --cached --others --exclude-standard -- '*.rej'
  git grep -I -l -E '^(<{7}|>{7}) ' -- ':(attr:!conflict-marker-size)' || true
  git grep -I -l -E '^(<{8,}|>{8,}) ' -- . ':(exclude,attr:!conflict-marker-size)' || true
}

# The open update branch, if any: the local one or origin's, whichever is ahead of the other.
open=
for tip in "refs/heads/$branch" "refs/remotes/origin/$branch"; do
  if ! git rev-parse --quiet --verify "$tip" > /dev/null || merged "$tip"; then
    continue
  elif [ -z "$open" ] || git merge-base --is-ancestor "$open" "$tip"; then
    open=$tip
  elif ! git merge-base --is-ancestor "$tip" "$open"; then
    echo "template-update: $branch and origin/$branch have diverged: merge one into the other first" >&2
    exit 1
  fi
done

before=$(cruft_json commit)
if [ -n "$open" ]; then
  git switch --quiet --force-create "$branch" "$open"
fi
# Another merge into files that still hold conflicts would nest its markers in theirs: those go first.
hooks=passed
if [ -z "$(conflicted)" ]; then
  # No `cruft check` first: its "FAILURE: Project's cruft is out of date!" is the normal case here, and
  # an update with nothing new changes nothing. cruft's own lines only when it fails: the report says
  # what it brought in.
  if ! said=$($CRUFT update --skip-apply-ask 2>&1); then
    printf '%s\n' "$said" >&2
    exit 1
  fi
  git add --all
  if ! git diff --cached --quiet; then
    git switch --quiet --force-create "$branch" # on the open branch already, or new from here with the update
    message="Update from the template ($(cruft_json commit))"
    if [ -n "$(conflicted)" ]; then
      # The hooks refuse conflict markers (check-merge-conflict, and the linters of the files): they
      # check the commit that resolves them.
      git commit --quiet --no-verify --message "$message"
    elif ! said=$(git commit --quiet --message "$message" 2>&1); then
      printf '%s\n' "$said" >&2
      git add --all # what the hooks fixed
      git commit --quiet --no-verify --message "$message"
      hooks=failed
    fi
  fi
fi
after=$(cruft_json commit)
files=$(conflicted | sort -u)
if [ "$before" = "$after" ] && [ -z "$files" ]; then
  exit 0
fi

if [ "$before" != "$after" ]; then
  # The template's own history between the two commits, from a throwaway clone.
  clone=$(mktemp -d)
  trap 'rm -rf "$clone"' EXIT
  git clone --quiet --bare "$(cruft_json template)" "$clone/template.git"
  echo "Brings in the template's changes from \`${before}\` to \`${after}\`:"
  echo
  git -C "$clone/template.git" log --format='- %h %s' "${before}..${after}"
fi
if [ "$hooks" = failed ]; then
  echo
  echo "The project's pre-commit hooks failed on this update (their output went to standard error): it is"
  echo "committed past them, with what they fixed; \`make lint\` on this branch shows what is left."
fi
if [ -n "$files" ]; then
  [ "$before" = "$after" ] || echo
  echo "These files did not take the template's changes cleanly: resolve the conflict markers, or apply"
  echo "each \`.rej\` file's hunks by hand and delete it, then commit on this branch."
  echo
  printf '%s\n' "$files" | while IFS= read -r name; do
    echo "- \`$name\`"
  done
  if [ "$(git branch --show-current)" = "$branch" ]; then
    echo
    echo "They are committed as they are, past the project's pre-commit hooks (\`git commit --no-verify\`),"
    echo "which refuse conflict markers: the hooks check the commit that resolves them."
  fi
fi
if [ "$hooks" = failed ] || [ -n "$files" ]; then
  exit 1
fi
