# Finds a JDK 21 or newer and exports JAVA_HOME. Sourced by the scripts in bin/.
# Order: $JAVA_HOME if it is new enough, then the newest JDK under /usr/lib/jvm and
# /opt/java, then the JDK of the `java` on PATH.

jdk_major() { # prints the feature version of the JDK at $1, or nothing
  local release="$1/release" version
  [ -x "$1/bin/javac" ] || return 0
  if [ -f "$release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$release")
  else
    version=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -1)
  fi
  version=${version#1.}
  echo "${version%%[.+-]*}"
}

find_jdk() {
  local candidate major best="" best_major=0 on_path
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(jdk_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then echo "$JAVA_HOME"; return 0; fi
  fi
  on_path=$(command -v javac 2>/dev/null) && on_path=$(dirname "$(dirname "$(readlink -f "$on_path")")")
  for candidate in /usr/lib/jvm/* /opt/java/* "$on_path"; do
    [ -d "$candidate" ] || continue
    major=$(jdk_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best=$candidate best_major=$major
    fi
  done
  [ -n "$best" ] && { echo "$best"; return 0; }
  return 1
}

if ! JAVA_HOME=$(find_jdk); then
  echo "services-cluster needs a JDK 21 or newer; none found in \$JAVA_HOME, /usr/lib/jvm or /opt/java." >&2
  echo "Install one (for example: apt-get install openjdk-21-jdk-headless) or set JAVA_HOME." >&2
  exit 1
fi
export JAVA_HOME
JDK_MAJOR=$(jdk_major "$JAVA_HOME")
export PATH="$JAVA_HOME/bin:$PATH"
