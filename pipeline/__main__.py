from .cli import main

main(prog_name="report-pipeline")
