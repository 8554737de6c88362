"""Root conftest: register the ocpp-harness plugin when running from a checkout without the
package installed. With the package installed, the ``pytest11`` entry point has already loaded
``harness.plugin`` and registering it again would abort pytest (see STYLE.md)."""

import sys

if "harness.plugin" not in sys.modules:
    pytest_plugins = ["harness.plugin"]
