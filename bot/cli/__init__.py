"""The command line: `newsdigest run, chat, analyze, feed, worker, migrate` (`main.main`)."""
