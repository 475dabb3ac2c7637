/* httpd.c: not written yet */
