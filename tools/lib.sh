# Shared by tools/run and tools/test: install what is missing, find Swift.
# Sourced, not executed.

# python3 and python3-venv: the Python client's tests (tools/test-python) run in a venv.
# systemd: systemd-socket-activate and systemd-analyze for the unit tests.
SOM_APT_PACKAGES="liblmdb-dev libprotobuf-c-dev protobuf-c-compiler protobuf-compiler libprotobuf-dev pkg-config gcc lmdb-utils zlib1g-dev tzdata systemd python3 python3-venv"

# Installs the Debian packages the build and the tests need, when any is missing.
som_install_packages() {
    local missing=()
    for pkg in $SOM_APT_PACKAGES; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "==> installing Debian packages: ${missing[*]}"
    local sudo=""
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null || { echo "error: need root or sudo to install: ${missing[*]}" >&2; return 1; }
        sudo="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    # A fresh machine has empty package lists; refresh them once, then install.
    $sudo apt-get update -q >/dev/null || { echo "error: apt-get update failed" >&2; return 1; }
    $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null \
        || { echo "error: apt-get install ${missing[*]} failed" >&2; return 1; }
}

# Puts the Swift toolchain on PATH when it is installed in the usual place but not on PATH.
som_find_swift() {
    if ! command -v swift >/dev/null; then
        for dir in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
            [ -x "$dir/swift" ] && export PATH="$dir:$PATH" && break
        done
    fi
    command -v swift >/dev/null || { echo "error: swift not found; install Swift 6.x (https://swift.org/install)" >&2; return 1; }
}

# The Python the tests use for third-party checkers (the Prometheus text parser), in a venv under
# .build/ so nothing is installed system-wide: .build/test-venv/bin/python3.
SOM_TEST_PYTHON_PACKAGES="prometheus_client==0.26.0"
som_test_venv() {
    local venv="$ROOT/.build/test-venv"
    if [ -x "$venv/bin/python3" ] && "$venv/bin/python3" -c "import prometheus_client" 2>/dev/null; then return 0; fi
    echo "==> test venv: $SOM_TEST_PYTHON_PACKAGES"
    command -v python3 >/dev/null || { echo "error: python3 not found (the metrics tests parse scrapes with it)" >&2; return 1; }
    python3 -m venv "$venv" || { echo "error: python3 -m venv failed (Debian: apt-get install python3-venv)" >&2; return 1; }
    "$venv/bin/python3" -m pip install -q --disable-pip-version-check $SOM_TEST_PYTHON_PACKAGES \
        || { echo "error: pip install $SOM_TEST_PYTHON_PACKAGES failed" >&2; return 1; }
}
