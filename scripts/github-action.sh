#!/usr/bin/env bash
# The scan step of the phiguard GitHub Action (action.yml at the repository root).
#
# Runs `phiguard scan --format github` (annotations on the log, and a table in the job summary),
# then, when a SARIF file is asked for, the same scan once more with `--format sarif --output`.
# Exits with the first scan's code: 0 nothing reached fail-on, 1 something did, 2 something could
# not be checked (or phiguard did not finish: crashed, killed, timed out, not found). Inputs arrive as environment variables set by action.yml, so no input is ever
# pasted into shell code:
#
#   PHIGUARD_PATHS        files or folders, separated by spaces or new lines (default: .)
#   PHIGUARD_FAIL_ON      none|low|medium|high (default: medium)
#   PHIGUARD_MIN_RISK     none|low|medium|high (default: low)
#   PHIGUARD_DIFF         true: scan only the lines added since the base; false: every file
#   PHIGUARD_BASE         the base commit or ref; empty: the pull request's base, if any
#   PHIGUARD_PR_BASE_SHA  github.event.pull_request.base.sha (empty outside pull requests)
#   PHIGUARD_SARIF_FILE   where to write SARIF (empty: no SARIF)
#   PHIGUARD_CONFIG       a .phiguard.toml to use (empty: the nearest one)
#   PHIGUARD_ARGS         more options for `phiguard scan`, separated by spaces
#   PHIGUARD_BIN          the phiguard program (default: phiguard on PATH)
#
# GITHUB_OUTPUT receives `exit-code` and `sarif-file`; GITHUB_STEP_SUMMARY gets the table
# (written by phiguard itself).
set -uo pipefail

phiguard="${PHIGUARD_BIN:-phiguard}"
fail_on="${PHIGUARD_FAIL_ON:-medium}"
min_risk="${PHIGUARD_MIN_RISK:-low}"
diff="${PHIGUARD_DIFF:-true}"
base="${PHIGUARD_BASE:-}"
sarif_file="${PHIGUARD_SARIF_FILE:-}"
config="${PHIGUARD_CONFIG:-}"
output="${GITHUB_OUTPUT:-/dev/null}"

# Word splitting on spaces and new lines, never glob expansion.
set -f
# shellcheck disable=SC2206
paths=(${PHIGUARD_PATHS:-.})
# shellcheck disable=SC2206
extra=(${PHIGUARD_ARGS:-})
set +f
if [ "${#paths[@]}" -eq 0 ]; then
  paths=(.)
fi

case "$diff" in
  true | false) ;;
  *)
    echo "::error title=phiguard action::input diff must be true or false, not '$diff'"
    exit 2
    ;;
esac

args=(scan --fail-on "$fail_on" --min-risk "$min_risk")
if [ -n "$config" ]; then
  args+=(--config "$config")
fi
args+=("${extra[@]}")

if [ "$diff" = true ]; then
  if [ -z "$base" ]; then
    if [ -n "${PHIGUARD_PR_BASE_SHA:-}" ]; then
      base="$PHIGUARD_PR_BASE_SHA"
    elif [ -n "${GITHUB_BASE_REF:-}" ]; then
      base="origin/$GITHUB_BASE_REF"
    fi
  fi
  case "$base" in
    -*)
      echo "::error title=phiguard action::base must be a commit or ref, not '$base'"
      exit 2
      ;;
  esac
  if [ -n "$base" ]; then
    # A shallow checkout may lack the base: fetch it rather than fail.
    if ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
      case "$base" in
        origin/*) git fetch --no-tags --quiet origin "+refs/heads/${base#origin/}:refs/remotes/$base" ;;
        *) git fetch --no-tags --quiet origin "$base" ;;
      esac
    fi
    if ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
      echo "::error title=phiguard action::base '$base' is not a commit of this checkout; use actions/checkout with fetch-depth: 0"
      exit 2
    fi
    args+=(--diff "$base")
  else
    echo "phiguard: no base commit (not a pull request, and no base input): scanning every file"
  fi
fi

"$phiguard" "${args[@]}" --format github -- "${paths[@]}"
code=$?
# 0, 1 and 2 are phiguard's verdicts. Anything else (a crash, a kill, a timeout, a missing
# program) means the check did not run to the end: fail as "could not check", never as clean.
case "$code" in
  0 | 1 | 2) ;;
  *)
    echo "::error title=phiguard action::phiguard did not finish (exit code $code: it crashed, was killed, timed out or could not be run): the check did not run, nothing was checked"
    code=2
    ;;
esac

if [ -n "$sarif_file" ]; then
  # The same scan again, as SARIF; its job summary is already written.
  GITHUB_STEP_SUMMARY="" "$phiguard" "${args[@]}" --format sarif --output "$sarif_file" -- "${paths[@]}"
  sarif_code=$?
  # 0 and 1 are verdicts; anything else (2, a crash) means the SARIF file is not complete.
  if [ "$sarif_code" -ne 0 ] && [ "$sarif_code" -ne 1 ] && [ "$code" -ne 2 ]; then
    echo "::error title=phiguard action::the SARIF report could not be written to $sarif_file"
    code=2
  fi
  echo "sarif-file=$sarif_file" >>"$output"
fi
echo "exit-code=$code" >>"$output"

case "$code" in
  0) ;;
  1) echo "phiguard: posts at or above fail-on $fail_on: see the annotations and the job summary" ;;
  *) echo "phiguard: something could not be checked (exit code $code): the result is incomplete" ;;
esac
exit "$code"
