/* noisy_exit.c — prints terminal control bytes and a byte that is not UTF-8, then exits 3
 * without listening: the checker must print them escaped, never raw. */
#include <stdio.h>

int main(void)
{
	fputs("\x1b[2J\x1b]0;owned\x07 bad byte \xff\n", stdout);
	return 3;
}
