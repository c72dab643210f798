# figure_args.sh — sourced: sets the tcpscope options of a figure VARIANT in $args
# (ladder, diagram, blank-ladder, blank-diagram), for svg_test.sh and regen.sh alike.
case $variant in
ladder) args="--format=svg" ;;
diagram) args="--format=svg --diagram" ;;
blank-ladder) args="--format=svg --blank" ;;
blank-diagram) args="--format=svg --diagram --blank" ;;
*) echo "unknown figure variant $variant" >&2; exit 2 ;;
esac
