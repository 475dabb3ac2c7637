/* opml.c: not written yet */
