"""A module without an index page that lives only in the tests: an extension of the example
module (it requires it), whose pages may sit under a commune or under the network home, as
the micro-parliament's do. The app is installed in every test run but declares its module
only while the ``extension_module`` fixture (``tests/example_extension/fixtures.py``) puts
``POLL`` on its AppConfig: the other tests see the registry as it was."""
