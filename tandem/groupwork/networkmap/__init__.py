"""The social network map (ecogram) of a participant, drawn by the coach at the start and at
the end of group work: its writes, pages, layout, drawing and the comparison of the two."""
