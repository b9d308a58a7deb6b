"""Word writing: the finished .docx package, the fonts it names, and the default templates."""
