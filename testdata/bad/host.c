/* An ordinary host C file: its object is for x86-64, not BPF. */
int x = 1;
int f(void) { return x; }
