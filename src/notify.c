/* notify.c: not written yet */
