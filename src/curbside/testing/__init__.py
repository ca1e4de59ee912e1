"""Contract suites for every protocol in :mod:`curbside.protocols`, shipped with the package so a
third-party backend can prove it honours the same contract as the built-ins.

Subclass the suite in your tests and provide its fixture (like haystack's
``testing/document_store.py``)::

    class TestMyStore(StoreContract):
        @pytest.fixture
        def store(self, tmp_path):
            yield MyStore(tmp_path); ...

Needs pytest (a test-time dependency; nothing in serving imports this package).
"""
