"""Reading a project: its files (sources), YAML with positions (schema), the Project (load),
national indicator data (opensdg), past revisions from git (history, revision)."""
