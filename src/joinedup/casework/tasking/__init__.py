"""Daily tasking: the board, the printable action sheet, and tasking meetings with their decisions."""
