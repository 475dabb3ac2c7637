/* poll.c: not written yet */
