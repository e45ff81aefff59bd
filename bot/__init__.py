"""newsdigest's application: the command line today; feeds, storage and chat adapters to come."""
