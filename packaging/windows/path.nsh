; Puts the install folder on PATH and takes it off again, included by
; installer.nsi. SHCTX is HKCU for a per-user install and HKLM for all users,
; so the user's or the system's PATH is changed, never both.
;
; This NSIS keeps strings to NSIS_MAX_STRLEN (1024) characters, and longer
; PATHs are common. A PATH that cannot be read whole, or that would not fit
; once the folder is added, is left as it is (the log says so): cutting a
; PATH short would break every other program on it.
;
; The installer records in ${SETTINGS_KEY} that it added the folder; the
; uninstaller takes the folder off only then, and only that one entry, so an
; entry the user made themselves stays.

!define PATH_TOO_LONG "PATH is too long for this installer to change safely: add $INSTDIR to it yourself to run licensedesk from a terminal."

Var EnvKey      ; the Environment key of this install mode's hive
Var PathValue   ; its Path value, as stored (%VARIABLES% unexpanded)
Var PathState   ; ok, absent or unreadable
Var OnPath      ; 1 if $INSTDIR (with or without a final \) is an entry
Var PathWithout ; PathValue without the first entry that is exactly $INSTDIR
Var TookOut     ; 1 if PathWithout lacks such an entry

!macro PATH_FUNCTIONS un
; Reads PATH into PathValue and says in PathState whether it could.
Function ${un}ReadPath
  StrCpy $EnvKey "${USER_ENV_KEY}"
  ${If} $MultiUser.InstallMode == "AllUsers"
    StrCpy $EnvKey "${MACHINE_ENV_KEY}"
  ${EndIf}
  StrCpy $PathState "ok"
  ClearErrors
  ReadRegStr $PathValue SHCTX $EnvKey "Path"
  ${IfNot} ${Errors}
    Return
  ${EndIf}
  ; An error means no Path value, or one too long to read (or not a string):
  ; only the first may be written.
  StrCpy $PathState "absent"
  StrCpy $PathValue ""
  StrCpy $0 0
  ${Do}
    ClearErrors
    EnumRegValue $1 SHCTX $EnvKey $0
    ${If} ${Errors}
    ${OrIf} $1 == ""
      ${Break}
    ${EndIf}
    ${If} $1 == "Path"
      StrCpy $PathState "unreadable"
      ${Break}
    ${EndIf}
    IntOp $0 $0 + 1
  ${Loop}
FunctionEnd

; Walks PathValue's ;-separated entries (case does not matter, as on
; Windows) into OnPath, PathWithout and TookOut; every other entry, empty
; ones included, stays as it was.
Function ${un}WalkPath
  StrCpy $OnPath 0
  StrCpy $TookOut 0
  StrCpy $PathWithout ""
  StrLen $1 $PathValue
  StrCpy $2 0 ; where the current entry starts
  StrCpy $3 0 ; the character looked at
  StrCpy $5 0 ; 1 once PathWithout holds an entry
  ${Do}
    StrCpy $4 ";" ; the end closes the last entry
    ${If} $3 < $1
      StrCpy $4 $PathValue 1 $3
    ${EndIf}
    ${If} $4 == ";"
      IntOp $6 $3 - $2
      StrCpy $7 ""
      ${If} $6 > 0
        StrCpy $7 $PathValue $6 $2
      ${EndIf}
      ${If} $7 == $INSTDIR
      ${OrIf} $7 == "$INSTDIR\"
        StrCpy $OnPath 1
      ${EndIf}
      ${If} $TookOut == 0
      ${AndIf} $7 == $INSTDIR
        StrCpy $TookOut 1
      ${ElseIf} $5 == 1
        StrCpy $PathWithout "$PathWithout;$7"
      ${Else}
        StrCpy $PathWithout $7
        StrCpy $5 1
      ${EndIf}
      IntOp $2 $3 + 1
    ${EndIf}
    IntOp $3 $3 + 1
  ${LoopWhile} $3 <= $1
FunctionEnd
!macroend

!insertmacro PATH_FUNCTIONS ""
!insertmacro PATH_FUNCTIONS "un."

; Tells Explorer, and the terminals it starts from now on, that PATH changed.
!macro BROADCAST_ENVIRONMENT
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
!macroend

Function AddToPath
  Call ReadPath
  ${If} $PathState == "unreadable"
    DetailPrint "${PATH_TOO_LONG}"
    Return
  ${EndIf}
  Call WalkPath
  ${If} $OnPath == 1
    Return ; already there: put there by an earlier install, or by the user
  ${EndIf}
  ; The new value, the old one + ";" + $INSTDIR, must fit in a string.
  StrLen $0 $PathValue
  StrLen $1 $INSTDIR
  IntOp $0 $0 + $1
  IntOp $1 ${NSIS_MAX_STRLEN} - 2
  ${If} $0 > $1
    DetailPrint "${PATH_TOO_LONG}"
    Return
  ${EndIf}
  ${If} $PathValue == ""
    StrCpy $PathValue $INSTDIR
  ${Else}
    StrCpy $0 $PathValue 1 -1
    ${If} $0 != ";"
      StrCpy $PathValue "$PathValue;"
    ${EndIf}
    StrCpy $PathValue "$PathValue$INSTDIR"
  ${EndIf}
  ClearErrors
  WriteRegExpandStr SHCTX $EnvKey "Path" $PathValue
  ${If} ${Errors}
    DetailPrint "Could not add $INSTDIR to PATH."
    Return
  ${EndIf}
  WriteRegDWORD SHCTX "${SETTINGS_KEY}" "AddedToPath" 1
  !insertmacro BROADCAST_ENVIRONMENT
FunctionEnd

Function un.RemoveFromPath
  ClearErrors
  ReadRegDWORD $0 SHCTX "${SETTINGS_KEY}" "AddedToPath"
  ${If} ${Errors}
  ${OrIf} $0 != 1
    Return ; the installer did not put it there
  ${EndIf}
  Call un.ReadPath
  ${If} $PathState != "ok"
    DetailPrint "PATH could not be read whole: take $INSTDIR off it yourself."
    Return
  ${EndIf}
  Call un.WalkPath
  ${If} $TookOut == 0
    Return
  ${EndIf}
  ${If} $PathWithout == ""
    DeleteRegValue SHCTX $EnvKey "Path"
  ${Else}
    WriteRegExpandStr SHCTX $EnvKey "Path" $PathWithout
  ${EndIf}
  !insertmacro BROADCAST_ENVIRONMENT
FunctionEnd
