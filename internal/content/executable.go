package content

import (
	"path"
	"strings"
)

// executableExtensions are the extensions of files a click runs (Windows,
// scripts, installers, Java): refused whatever their declared type.
var executableExtensions = map[string]bool{
	".exe": true, ".com": true, ".bat": true, ".cmd": true, ".scr": true, ".pif": true, ".msi": true, ".msp": true,
	".dll": true, ".cpl": true, ".jar": true, ".js": true, ".jse": true, ".vbs": true, ".vbe": true, ".wsf": true,
	".wsh": true, ".hta": true, ".ps1": true, ".psm1": true, ".sh": true, ".lnk": true, ".reg": true, ".app": true,
	".apk": true, ".elf": true, ".run": true, ".command": true,
}

// ExecutableName reports whether a file name has the extension of a
// program or script.
func ExecutableName(name string) bool { return executableExtensions[strings.ToLower(path.Ext(name))] }

// executableMagic are the first bytes of programs: Windows (MZ), ELF,
// Mach-O (both byte orders, 32 and 64 bits), Java classes and fat Mach-O,
// and scripts starting with "#!".
var executableMagic = []string{"MZ", "\x7fELF", "\xfe\xed\xfa\xce", "\xfe\xed\xfa\xcf", "\xce\xfa\xed\xfe",
	"\xcf\xfa\xed\xfe", "\xca\xfe\xba\xbe", "#!"}

// IsExecutable recognises a program by its first bytes.
func IsExecutable(b []byte) bool {
	head := string(b[:min(len(b), 4)])
	for _, magic := range executableMagic {
		if strings.HasPrefix(head, magic) {
			return true
		}
	}
	return false
}

// executableTypes are media types of programs, refused like their content.
var executableTypes = map[string]bool{
	"application/x-msdownload": true, "application/x-msdos-program": true, "application/x-dosexec": true,
	"application/vnd.microsoft.portable-executable": true, "application/x-executable": true, "application/x-elf": true,
	"application/x-sharedlib": true, "application/x-mach-binary": true, "application/x-msi": true,
	"application/x-ms-installer": true, "application/x-sh": true, "application/x-csh": true, "application/x-bat": true,
	"application/java-archive": true, "application/x-java-archive": true, "application/java-vm": true,
	"application/javascript": true, "application/x-javascript": true, "text/javascript": true,
	"application/hta": true, "application/x-ms-shortcut": true, "text/x-shellscript": true,
}

// ExecutableType reports whether a media type (without parameters, in
// lower case) is a program's.
func ExecutableType(t string) bool { return executableTypes[t] }
