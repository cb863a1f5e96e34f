from reviewdocs.cli import main

main()
