from laborwatch.cli.app import app

app()
