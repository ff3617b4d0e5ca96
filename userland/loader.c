// SPDX-License-Identifier: GPL-2.0
/*
 * Guest image loader: ELF64 AArch64 executables by their PT_LOAD
 * segments (at p_paddr, entry e_entry), anything else as a raw binary.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "splitvm.h"

/* The whole file in memory: guest images are small. */
static uint8_t *read_file(const char *file, size_t *size)
{
	struct stat st;
	uint8_t *buf;
	size_t done = 0;
	int fd;

	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		sv_err("cannot open kernel %s: %s", file, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		sv_err("kernel %s: fstat: %s", file, strerror(errno));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		sv_err("kernel %s: not a regular file", file);
		close(fd);
		return NULL;
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf) {
		sv_err("kernel %s: out of memory", file);
		close(fd);
		return NULL;
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + done, st.st_size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			sv_err("kernel %s: read: %s", file,
			       n ? strerror(errno) : "file shrank");
			free(buf);
			close(fd);
			return NULL;
		}
		done += n;
	}
	close(fd);
	*size = done;
	return buf;
}

static int load_raw(struct sv_vm *vm, const char *file, const uint8_t *buf,
		    size_t size, uint64_t load_addr, uint64_t *entry)
{
	void *dst;

	if (!size) {
		sv_err("kernel %s is empty", file);
		return -1;
	}
	dst = sv_vm_gpa_to_hva(vm, load_addr, size);
	if (!dst) {
		sv_err("kernel %s (raw, %zu bytes) does not fit in guest RAM at load address 0x%llx",
		       file, size, (unsigned long long)load_addr);
		return -1;
	}
	memcpy(dst, buf, size);
	*entry = load_addr;
	return 0;
}

static int load_elf(struct sv_vm *vm, const char *file, const uint8_t *buf,
		    size_t size, uint64_t *entry)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)buf;
	int i, loaded = 0;

	if (size < sizeof(*eh) || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB) {
		sv_err("kernel %s: ELF but not ELF64 little-endian", file);
		return -1;
	}
	if (eh->e_machine != EM_AARCH64) {
		sv_err("kernel %s: ELF for machine %u, not AArch64 (%u)", file,
		       eh->e_machine, EM_AARCH64);
		return -1;
	}
	if (eh->e_type != ET_EXEC) {
		sv_err("kernel %s: ELF type %u, not an executable (ET_EXEC)",
		       file, eh->e_type);
		return -1;
	}
	if (eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    eh->e_phoff > size ||
	    (size - eh->e_phoff) / sizeof(Elf64_Phdr) < eh->e_phnum) {
		sv_err("kernel %s: bad ELF program header table", file);
		return -1;
	}
	for (i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)
			(buf + eh->e_phoff) + i;
		uint8_t *dst;

		if (ph->p_type != PT_LOAD || !ph->p_memsz)
			continue;
		if (ph->p_filesz > ph->p_memsz || ph->p_offset > size ||
		    ph->p_filesz > size - ph->p_offset) {
			sv_err("kernel %s: segment %d lies outside the file",
			       file, i);
			return -1;
		}
		dst = sv_vm_gpa_to_hva(vm, ph->p_paddr, ph->p_memsz);
		if (!dst) {
			sv_err("kernel %s: segment %d [0x%llx, 0x%llx) is not inside guest RAM",
			       file, i, (unsigned long long)ph->p_paddr,
			       (unsigned long long)(ph->p_paddr + ph->p_memsz));
			return -1;
		}
		memcpy(dst, buf + ph->p_offset, ph->p_filesz);
		memset(dst + ph->p_filesz, 0, ph->p_memsz - ph->p_filesz);
		loaded++;
	}
	if (!loaded) {
		sv_err("kernel %s: ELF without a PT_LOAD segment", file);
		return -1;
	}
	if (!sv_vm_gpa_to_hva(vm, eh->e_entry, 4)) {
		sv_err("kernel %s: entry point 0x%llx is not inside guest RAM",
		       file, (unsigned long long)eh->e_entry);
		return -1;
	}
	*entry = eh->e_entry;
	return 0;
}

int load_kernel(struct sv_vm *vm, const char *file, uint64_t load_addr,
		uint64_t *entry)
{
	size_t size;
	uint8_t *buf = read_file(file, &size);
	int ret;

	if (!buf)
		return -1;
	if (size >= SELFMAG && !memcmp(buf, ELFMAG, SELFMAG))
		ret = load_elf(vm, file, buf, size, entry);
	else
		ret = load_raw(vm, file, buf, size, load_addr, entry);
	free(buf);
	return ret;
}
