# Sourced by bin/svc and bin/mvnw: makes sure bubblewrap is there. Every service runs confined
# by default (docs/security.md), in a bubblewrap sandbox; without it every start fails unless the
# cluster file says `unconfined: true`. On a Debian-like machine where this user may install
# packages (root, or sudo without a password), it is installed once, saying so; elsewhere a
# message says what to do, and nothing else changes.
if ! command -v bwrap >/dev/null 2>&1; then
  sandbox_install=()
  if [ "$(id -u)" -eq 0 ]; then
    sandbox_install=(apt-get)
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sandbox_install=(sudo -n apt-get)
  fi
  if command -v apt-get >/dev/null 2>&1 && [ "${#sandbox_install[@]}" -gt 0 ]; then
    echo "services-cluster: installing bubblewrap, the sandbox every service runs in (docs/security.md)..." >&2
    if ! { "${sandbox_install[@]}" install -y -qq bubblewrap >/dev/null 2>&1 \
        || { "${sandbox_install[@]}" update -qq >/dev/null 2>&1 \
             && DEBIAN_FRONTEND=noninteractive "${sandbox_install[@]}" install -y -qq bubblewrap >/dev/null 2>&1; }; }; then
      echo "services-cluster: could not install bubblewrap; services will fail to start unless unconfined: true" >&2
    fi
  else
    echo "services-cluster: bubblewrap (bwrap) is not installed: services will fail to start unless the cluster" \
      "file says unconfined: true. Install it (Debian/Ubuntu: apt-get install bubblewrap)." >&2
  fi
fi
