"""One fake per helpdesk vendor, each checking requests against that vendor's documented API;
the server that plays them is tests.integration.contract_server."""
