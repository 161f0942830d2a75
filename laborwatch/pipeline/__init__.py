"""The application layer: one monitoring pass in plain Python (read sources → parse → extract →
store and diff → queue and send alerts). `laborwatch.flows` wraps it in Prefect; the CLI runs it
in-process when no Prefect API is configured."""
