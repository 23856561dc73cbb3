#!/bin/sh
# Print the first Python >= 3.12 on this machine (Django 6.1 needs it; python3 may be 3.11).
for candidate in python3.13 python3.12 python3; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    echo "$candidate"
    exit 0
  fi
done
echo "No Python >= 3.12 found (tried python3.13, python3.12, python3)." >&2
exit 1
