"""Pages of the portal: citizen (`citizen`), one-stop counter (`counter`), officers (`workspace`)."""
