/*
 * Build-time tool, not part of nsbox: trims a static ELF64 executable to
 * what the kernel's loader reads (the idea of ELFkickers' sstrip).  The
 * loader maps the PT_LOAD segments through the program headers and never
 * looks at the section header table, .comment or .shstrtab, which follow
 * the last segment in the file: they go, and e_sh* say there are none.
 * The last segment's trailing zero bytes go too: they become part of its
 * zero-filled memory beyond p_filesz (where .bss already is), which the
 * loader clears alike.  `file`, readelf -l and objdump still read the result.
 *
 *   elftrim FILE    rewrites FILE in place; exit 1 on anything unexpected
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *file, const char *why)
{
	fprintf(stderr, "elftrim: %s: %s\n", file, why);
	return 1;
}

int main(int argc, char **argv)
{
	static unsigned char buf[1 << 22];
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	Elf64_Phdr *ph, *last = NULL;
	size_t len, end, floor, i;
	FILE *f;

	if (argc != 2)
		return fail("usage", "elftrim FILE");
	f = fopen(argv[1], "rb");
	if (!f)
		return fail(argv[1], "cannot open");
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (len < sizeof(*eh) || len == sizeof(buf) || memcmp(buf, ELFMAG, SELFMAG) ||
	    buf[EI_CLASS] != ELFCLASS64 || eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    eh->e_phoff + (size_t)eh->e_phnum * sizeof(Elf64_Phdr) > len)
		return fail(argv[1], "not an ELF64 file this tool knows");
	ph = (Elf64_Phdr *)(buf + eh->e_phoff);
	end = eh->e_phoff + (size_t)eh->e_phnum * sizeof(Elf64_Phdr);
	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_DYNAMIC || ph[i].p_type == PT_INTERP)
			return fail(argv[1], "dynamically linked");
		if (ph[i].p_offset + ph[i].p_filesz > len)
			return fail(argv[1], "a segment beyond the end of the file");
		if (ph[i].p_offset + ph[i].p_filesz > end)
			end = ph[i].p_offset + ph[i].p_filesz;
	}
	/* the writable PT_LOAD that ends the file gives up its trailing zeros
	 * (the loader zero-fills its memory past p_filesz), as far as no other
	 * segment (PT_TLS's image) still needs them */
	floor = eh->e_phoff + (size_t)eh->e_phnum * sizeof(Elf64_Phdr);
	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_filesz && ph[i].p_offset + ph[i].p_filesz == end &&
		    ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_W) && !last)
			last = &ph[i];
		else if (ph[i].p_offset + ph[i].p_filesz > floor)
			floor = ph[i].p_offset + ph[i].p_filesz;
	}
	while (last && last->p_filesz && end > floor && !buf[end - 1]) {
		last->p_filesz--;
		end--;
	}
	eh->e_shoff = 0;
	eh->e_shnum = 0;
	eh->e_shstrndx = SHN_UNDEF;
	f = fopen(argv[1], "wb");
	if (!f || fwrite(buf, 1, end, f) != end)
		return fail(argv[1], "cannot write");
	if (fclose(f))
		return fail(argv[1], "cannot write");
	return 0;
}
