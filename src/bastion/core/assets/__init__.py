"""What an organisation protects: assets, and the tags shared by assets and findings."""
