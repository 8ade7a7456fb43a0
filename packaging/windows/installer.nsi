; Licensedesk's Windows installer. Built by packaging/windows/installer.sh,
; which passes on the command line (makensis -DNAME=VALUE):
;   VERSION   x.y.z from FyneApp.toml      BUILD    its build number
;   EXE       the licensedesk.exe to ship  ICON     assets/icon.ico
;   COM       the licensedesk.com to ship beside it (packaging/windows/console)
;   OUTFILE   the installer to write       SIGN_CMD (optional) signs %1
;   TARGET    (optional) NSIS stub, e.g. amd64-unicode for the Wine test;
;             the shipped installer uses the default x86-unicode stub
; Installs per user (no administrator needed, the default) or for all users
; (asks for elevation); /CurrentUser or /AllUsers choose silently with /S.
; Either way the install folder goes on that user's or the system's PATH, so
; `licensedesk` works in a new cmd.exe or PowerShell; uninstalling takes it off.

!ifdef TARGET
  Target ${TARGET}
!endif
Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma

!define APP_NAME "Licensedesk"
!define APP_ID "io.github.licensedesk"
!define PUBLISHER "Licensedesk"
!define HOMEPAGE "https://github.com/licensedesk/licensedesk"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define SETTINGS_KEY "Software\${APP_NAME}"
; Where Windows keeps PATH: the user's (HKCU) and the system's (HKLM).
!define USER_ENV_KEY "Environment"
!define MACHINE_ENV_KEY "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"

!define MULTIUSER_EXECUTIONLEVEL Highest
!define MULTIUSER_MUI
!define MULTIUSER_INSTALLMODE_COMMANDLINE
!define MULTIUSER_INSTALLMODE_DEFAULT_CURRENTUSER
!define MULTIUSER_INSTALLMODE_INSTDIR "${APP_NAME}"
!define MULTIUSER_USE_PROGRAMFILES64
!define MULTIUSER_INSTALLMODE_DEFAULT_REGISTRY_KEY "${SETTINGS_KEY}"
!define MULTIUSER_INSTALLMODE_DEFAULT_REGISTRY_VALUENAME "InstallMode"
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_KEY "${SETTINGS_KEY}"
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_VALUENAME "InstallDir"

!include MultiUser.nsh
!include MUI2.nsh
!include x64.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include WinMessages.nsh

Name "${APP_NAME}"
OutFile "${OUTFILE}"
BrandingText "${APP_NAME} ${VERSION}"

VIProductVersion "${VERSION}.${BUILD}"
VIAddVersionKey "ProductName" "${APP_NAME}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}.${BUILD}"
VIAddVersionKey "FileDescription" "${APP_NAME} installer"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "LegalCopyright" "Licensedesk authors"

!ifdef SIGN_CMD
  ; Sign the uninstaller as makensis writes it, before it is packed inside.
  !uninstfinalize '${SIGN_CMD}' = 0
!endif

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING

!insertmacro MUI_PAGE_WELCOME
!insertmacro MULTIUSER_PAGE_INSTALLMODE
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${APP_NAME} needs 64-bit Windows."
    Abort
  ${EndIf}
  SetRegView 64
  !insertmacro MULTIUSER_INIT
FunctionEnd

Function un.onInit
  SetRegView 64
  !insertmacro MULTIUSER_UNINIT
FunctionEnd

!include "${__FILEDIR__}/path.nsh"

Section "${APP_NAME}" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "/oname=licensedesk.exe" "${EXE}"
  ; cmd.exe and PowerShell find licensedesk.com before licensedesk.exe (.COM
  ; comes first in PATHEXT) and wait for it, as they do not for the windowed exe.
  File "/oname=licensedesk.com" "${COM}"
  ; The multi-size icon keeps the Start menu and Apps list crisp at 16-48 px;
  ; the icon inside the program has one 256 px image that Windows scales.
  File "/oname=licensedesk.ico" "${ICON}"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\licensedesk.exe" "" "$INSTDIR\licensedesk.ico" 0

  ; SHCTX is HKCU for a per-user install and HKLM for all users.
  WriteRegStr SHCTX "${SETTINGS_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr SHCTX "${SETTINGS_KEY}" "InstallMode" "$MultiUser.InstallMode"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\licensedesk.ico"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "URLInfoAbout" "${HOMEPAGE}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe" /$MultiUser.InstallMode'
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /$MultiUser.InstallMode /S'
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "EstimatedSize" $0
  Call AddToPath
SectionEnd

; The user's instances.json and keyring entries are theirs: uninstalling the
; program leaves them, so reinstalling loses nothing.
Section "Uninstall"
  Call un.RemoveFromPath
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  Delete "$INSTDIR\licensedesk.exe"
  Delete "$INSTDIR\licensedesk.com"
  Delete "$INSTDIR\licensedesk.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey SHCTX "${UNINSTALL_KEY}"
  DeleteRegKey SHCTX "${SETTINGS_KEY}"
  ; the name and icon the program registered for its notifications
  ; (app/watch/desktop_windows.go), in the uninstalling user's registry
  DeleteRegKey HKCU "Software\Classes\AppUserModelId\${APP_ID}"
SectionEnd
