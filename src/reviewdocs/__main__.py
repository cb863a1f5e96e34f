from reviewdocs.cli import main

main(prog_name="reviewdocs")
